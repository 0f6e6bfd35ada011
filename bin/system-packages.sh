# Sourced by bin/serve and bin/test: install from Debian the system packages that are missing.
# Usage: install_missing_packages "why" package=file ... (a package is missing when no file matches
# its pattern). Only as root with apt-get; otherwise whatever needs a package says it is missing.
install_missing_packages() {
    local reason="$1" pair missing=()
    shift
    for pair in "$@"; do
        compgen -G "${pair#*=}" > /dev/null || missing+=("${pair%%=*}")
    done
    if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        echo "Installing ${missing[*]} from Debian $reason ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
    fi
}
