#!/bin/sh
# tests/gui/fill_suite_db.sh BIN_DIR DB: a synthetic suite of 50 benchmarks under two interpreters over 200
# revisions (one run per revision), for the views' readability at scale and the click-to-benchmark tests:
# 2to3 slows down 5% at r150.
set -eu
bin=$1 db=$2
rm -f "$db" "$db-wal" "$db-shm"
benchmarks=2to3,async_tree,chameleon,chaos,coroutines,crypto_pyaes,deepcopy,deltablue,django_template,\
dulwich_log,fannkuch,float,genshi_text,go,hexiom,html5lib,json_dumps,json_loads,logging_format,mako,\
meteor_contest,nbody,nqueens,pathlib,pickle,pidigits,pyflate,raytrace,regex_compile,regex_dna,regex_effbot,\
regex_v8,richards,scimark_fft,scimark_lu,scimark_monte_carlo,scimark_sor,scimark_sparse_mat_mult,spectral_norm,\
sqlalchemy_declarative,sqlite_synth,sympy_expand,telco,tornado_http,unpack_sequence,unpickle,xml_etree_parse,\
xml_etree_generate,generators,richards_super
"$bin/speedcenter-synthetic-db" "$db" --revisions 200 --benchmarks "$benchmarks" \
  --interpreters cpython-3.8,pyston-3.8 --base-seconds 0.05 --step-at 149 --step 0.05 --seed 11 --resamples 200
echo "filled $db"
