# The console as an extracted Spring Boot layered jar. Build from the repository root after
# `mvn package` (the console module builds console/target/console.jar):
#   docker build -f samples/deploy/docker/console.Dockerfile -t vigil/console:0.1.0 .
FROM eclipse-temurin:17-jre AS extract
WORKDIR /build
COPY console/target/console.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.ref.name="vigil/console"
RUN useradd --system --uid 10001 vigil
WORKDIR /app
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
