#!/bin/sh
# Runs each benchmark .exe under Wine and its Linux build natively at three work sizes
# and compares the outputs (line endings normalized). Needs wine and the Linux builds
# (make linux). Usage: ./check-wine.sh [program...]
set -u
cd "$(dirname "$0")"
LINUX_OUT=${LINUX_OUT:-build}
export WINEDEBUG=-all
sizes() {
  case $1 in
    coremark) echo 50 300 2000 ;;
    sha256) echo 1 64 3000 ;;
    crc32) echo 1 64 2000 ;;
    sieve) echo 100 100000 3000000 ;;
    qsort) echo 10 5000 100000 ;;
    nbody) echo 1 5000 150000 ;;
    spectralnorm) echo 10 100 600 ;;
    fannkuch) echo 7 8 9 ;;
    mandelbrot) echo 10 100 600 ;;
    strsearch) echo 1 64 1500 ;;
    bintrees) echo 6 8 13 ;;
    memops) echo 1 100 3000 ;;
    *) echo "unknown program $1" >&2; exit 2 ;;
  esac
}
programs=${*:-"coremark sha256 crc32 sieve qsort nbody spectralnorm fannkuch mandelbrot strsearch bintrees memops"}
status=0
for p in $programs; do
  for n in $(sizes "$p"); do
    want=$("./$LINUX_OUT/$p" "$n")
    got=$(wine "./$p.exe" "$n" 2>/dev/null | tr -d '\r')
    if [ "$want" = "$got" ]; then echo "same   $p $n: $want"
    else echo "DIFFER $p $n: linux '$want' wine '$got'"; status=1; fi
  done
done
exit $status
