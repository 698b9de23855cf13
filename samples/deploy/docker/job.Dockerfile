# The Vigil job on the official Flink image. Build from the repository root after `mvn package`:
#   docker build -f samples/deploy/docker/job.Dockerfile -t vigil/flink-job:0.1.0 .
# Flink's own jars (and the Prometheus reporter, shipped in plugins/metrics-prometheus) come from
# the base image; vigil.jar carries the job, flink-cep and the Kafka connector.
FROM flink:2.2.1-java17
LABEL org.opencontainers.image.ref.name="vigil/flink-job"
COPY --chown=flink:flink cep-runtime/target/vigil.jar /opt/flink/usrlib/vigil.jar
