#!/usr/bin/env bash
# Install the Debian packages that training and the tests draw with: fonts for handwriting, plates and
# book pages, and real prose for printed pages (fortunes, dict-devil: The Devil's Dictionary).
set -euo pipefail
PKGS=(fonts-dkg-handwriting fonts-breip fonts-sjfonts fonts-femkeklaver fonts-rufscript fonts-humor-sans
      fonts-dancingscript fonts-kaushanscript fonts-kristi fonts-ecolier-court fonts-comic-neue
      fonts-tlwg-purisa-otf fonts-bwht fonts-klee fonts-dejavu-core fonts-dejavu-extra fonts-liberation
      fonts-roadgeek fonts-opendin fonts-freefont-ttf fonts-urw-base35 fonts-roboto-unhinted fonts-texgyre
      fonts-bebas-neue fonts-b612 fonts-cantarell fonts-open-sans fonts-crosextra-carlito
      fonts-ebgaramond fonts-linuxlibertine fonts-sil-gentium fonts-sil-charis fonts-crosextra-caladea
      fonts-gfs-didot fonts-stix fonts-adf-accanthis fonts-adf-berenis fonts-adf-baskervald fonts-adf-tribun
      fonts-adf-universalis fonts-go fonts-roboto-slab fortunes dict-devil)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "fonts and prose: all installed"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "fonts and prose: installed ${missing[*]}"
