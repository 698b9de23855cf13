# The console from its extracted Spring Boot jar: the extracted console.jar lists its libraries in
# its manifest, so they load from plain jars. The console keeps a Flink MiniCluster for test runs,
# and Flink cannot load its classes from a nested fat jar (docs/console.md, Running). Build from the
# repository root after `mvn package` (the console module builds console/target/console.jar):
#   docker build -f samples/deploy/docker/console.Dockerfile -t vigil/console:0.1.0 .
FROM eclipse-temurin:17-jre AS extract
WORKDIR /build
COPY console/target/console.jar console.jar
RUN java -Djarmode=tools -jar console.jar extract --destination app

FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.ref.name="vigil/console"
RUN useradd --system --uid 10001 vigil
WORKDIR /app
COPY --from=extract /build/app/ ./
USER 10001
EXPOSE 8080
# Flink's serializers reflect into the JDK on Java 17 (the same options as the job).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", \
  "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED", \
  "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED", \
  "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED", \
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED", \
  "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", \
  "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", \
  "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED", \
  "--add-opens=java.base/java.math=ALL-UNNAMED", "-jar", "console.jar"]
