# Sourced by run.sh and test.sh: the Debian packages the compiled reports' PDFs (WeasyPrint) still
# need on this machine, one per line: Pango, HarfBuzz's subsetter and the Noto CJK fonts.
pdf_packages_missing() {
  local libraries lib
  libraries=$(ldconfig -p 2>/dev/null || true)  # read once: `ldconfig -p | grep -q` can die of SIGPIPE
  for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
    libharfbuzz-subset.so.0:libharfbuzz-subset0; do
    [[ $libraries == *"${lib%%:*}"* ]] || echo "${lib##*:}"
  done
  [[ $(fc-list 2>/dev/null) == *"Noto Sans CJK"* ]] || echo fonts-noto-cjk
}
