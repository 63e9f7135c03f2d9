#!/bin/sh
# Starts a single-node KRaft Kafka (broker + controller).
# Listeners: PLAINTEXT :9093 for clients outside the container (advertised as a host-mapped
# port), BROKER :9092 for containers on the same network, CONTROLLER :9094 internal.
# KAFKA_WAIT_FOR_FILE: wait for this file and source it first (Testcontainers writes the mapped
#   port there once it is known, then the broker starts; see testing/src/kafka-container.ts).
# KAFKA_ADVERTISED_LISTENERS overrides what is advertised; KAFKA_CFG_SOME_KEY=v adds some.key=v.
set -eu
if [ -n "${KAFKA_WAIT_FOR_FILE:-}" ]; then
  echo "mcpgate-kafka: waiting for $KAFKA_WAIT_FOR_FILE"
  while [ ! -f "$KAFKA_WAIT_FOR_FILE" ]; do sleep 0.1; done
  . "$KAFKA_WAIT_FOR_FILE"
fi
CONF=/opt/kafka/config/server.properties
DATA=/var/lib/kafka/data
HOST=$(hostname)
cat > "$CONF" <<PROPS
process.roles=broker,controller
node.id=${KAFKA_NODE_ID:-1}
controller.quorum.bootstrap.servers=localhost:9094
listeners=PLAINTEXT://0.0.0.0:9093,BROKER://0.0.0.0:9092,CONTROLLER://0.0.0.0:9094
advertised.listeners=${KAFKA_ADVERTISED_LISTENERS:-PLAINTEXT://localhost:9093,BROKER://$HOST:9092}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=BROKER
controller.listener.names=CONTROLLER
log.dirs=$DATA
num.partitions=${KAFKA_NUM_PARTITIONS:-3}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=${KAFKA_AUTO_CREATE_TOPICS:-false}
PROPS
env | sed -n 's/^KAFKA_CFG_\([A-Z0-9_]*\)=\(.*\)$/\1=\2/p' | while IFS='=' read -r key value; do
  printf '%s=%s\n' "$(echo "$key" | tr 'A-Z_' 'a-z.')" "$value" >> "$CONF"
done
CP="/opt/kafka/libs/*"
JAVA_OPTS=${KAFKA_JAVA_OPTS:-"-Xms256m -Xmx768m -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true"}
if [ ! -f "$DATA/meta.properties" ]; then
  # shellcheck disable=SC2086
  java $JAVA_OPTS -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties -cp "$CP" \
    kafka.tools.StorageTool format --standalone -t "${KAFKA_CLUSTER_ID:-4L6g3nShT-eMCtK--X86sw}" -c "$CONF"
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties -cp "$CP" kafka.Kafka "$CONF"
