#!/usr/bin/env bash
# The write-path and end-to-end parts of bench/run, with bench/run's settings, into bench/results/63ed3f7.
set -uo pipefail
cd /work/main
jar=bench/target/benchmarks.jar; out=bench/results/63ed3f7
( while sleep 10; do cut -d' ' -f1 /proc/loadavg; done ) > "$out/load.log" &
s=$!
echo "start $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD) load $(cut -d' ' -f1-3 /proc/loadavg)" > $out/machine.txt
jmh() { local name=$1; shift; echo "== $name"; java -jar "$jar" "$@" -foe true -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1; }
wp=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
jmh write-path-h2 WritePathBenchmark -p database=h2 -p path=JDBC_BATCH,MULTI_ROW "${wp[@]}"
jmh write-path-postgresql WritePathBenchmark -p database=postgresql -p path=JDBC_BATCH,MULTI_ROW,POSTGRES_COPY "${wp[@]}"
jmh write-path-mariadb WritePathBenchmark -p database=mariadb -p path=JDBC_BATCH,MULTI_ROW "${wp[@]}"
e2e=(-f 1 -wi 2 -i 4 -p events=1000000)
jmh e2e EndToEndBenchmark -p database=h2,postgresql,mariadb -p producers=1 "${e2e[@]}"
echo "end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $out/machine.txt
kill $s
