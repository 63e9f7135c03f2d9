#!/bin/sh
# Creates a throw-away CA and a server certificate for localhost / 127.0.0.1 (the TLS listener),
# then keeps rsyslogd running in the foreground. Tests use two controls, by exec:
#   touch /tmp/siem-hold       rsyslogd is not restarted while this file exists
#   kill -9 "$(cat /run/rsyslogd.pid)"   simulate a crash (restarted unless held)
set -eu
cd /certs
if [ ! -f server.pem ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj '/CN=mcpgate test CA' \
    -keyout ca-key.pem -out ca.pem 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=localhost' \
    -keyout server-key.pem -out server.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile server.ext -out server.pem 2>/dev/null
  chmod 644 ca.pem server.pem server-key.pem
fi
touch /var/log/siem/received.jsonl
echo "siem-rsyslog: certificates ready"
trap 'kill -TERM "$child" 2>/dev/null; exit 0' TERM INT
while :; do
  if [ -e /tmp/siem-hold ]; then sleep 0.1; continue; fi
  rm -f /run/rsyslogd.pid
  rsyslogd -n -f /etc/rsyslog.conf -i /run/rsyslogd.pid &
  child=$!
  wait "$child" || true
done
