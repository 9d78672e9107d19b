#!/usr/bin/env bash
# Sourced by the install scripts: `apt_install PACKAGE...` installs Debian/Ubuntu packages
# quietly, with sudo when not root.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
