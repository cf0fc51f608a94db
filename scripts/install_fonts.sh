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
exec bash "$(dirname "$0")/apt_install.sh" "fonts and prose" "${PKGS[@]}"
