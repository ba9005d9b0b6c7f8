#!/bin/sh
# tls_certs.sh DIR: a throwaway PKI for the TLS tests, made at run time (no key is committed):
#   ca.pem            the test CA that signed the two server certificates
#   server.pem/.key   for 127.0.0.1 and localhost
#   wronghost.pem/.key  signed by the same CA, but for wrong-host.invalid only
#   other-ca.pem      a second CA that signed nothing the server shows (the "wrong CA")
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
ossl() { openssl "$@" 2>/dev/null; }
for ca in ca other-ca; do
	ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj "/CN=susaudit test $ca" -keyout "$ca.key" -out "$ca.pem" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
done
leaf() { # leaf NAME CN SAN
	ossl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$2" \
		-keyout "$1.key" -out "$1.csr"
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
		"$3" >"$1.ext"
	ossl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile "$1.ext" -out "$1.pem"
	rm -f "$1.csr" "$1.ext"
}
leaf server 127.0.0.1 "IP:127.0.0.1,DNS:localhost"
leaf wronghost wrong-host.invalid "DNS:wrong-host.invalid"
chmod 600 ./*.key
