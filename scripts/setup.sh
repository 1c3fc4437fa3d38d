#!/usr/bin/env bash
# Installs what invoiceflow needs on a Debian machine; safe to run again.
# Debian packages: Tesseract with eng/por/spa, fonts for the sample invoices,
# Java for the Pub/Sub emulator. Python: a virtual environment in .venv.
set -euo pipefail

cd "$(dirname "$0")/.."

apt_packages=()
need_tessdata() {
    for lang in eng por spa; do
        ls /usr/share/tesseract-ocr/*/tessdata/"$lang".traineddata >/dev/null 2>&1 || return 0
    done
    return 1
}
command -v tesseract >/dev/null || apt_packages+=(tesseract-ocr)
need_tessdata && apt_packages+=(tesseract-ocr-eng tesseract-ocr-por tesseract-ocr-spa)
fc-list 2>/dev/null | grep -qi dejavu || apt_packages+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi liberation || apt_packages+=(fonts-liberation)
command -v java >/dev/null || apt_packages+=(default-jre-headless)

if [ "${#apt_packages[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing Debian packages: ${apt_packages[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! command -v cloud-pubsub-emulator >/dev/null \
    && ! ls "$(dirname "$(readlink -f "$(command -v gcloud || echo /nonexistent)")")"/../platform/pubsub-emulator/bin/cloud-pubsub-emulator >/dev/null 2>&1 \
    && ! ls /usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator >/dev/null 2>&1; then
    echo "The Pub/Sub emulator is missing: run 'gcloud components install pubsub-emulator'" \
        "(or apt-get install google-cloud-cli-pubsub-emulator from Google's apt repository)." >&2
    exit 1
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv"
    "$python" -m venv .venv
fi

stamp=.venv/.invoiceflow-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing Python packages into .venv"
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e '.[dev]'
    echo "$wanted" > "$stamp"
fi
