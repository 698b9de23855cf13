# The alert service as an extracted Spring Boot layered jar (dependencies change less often than
# the application, so their layers are reused). Build from the repository root after `mvn package`:
#   docker build -f samples/deploy/docker/alert-service.Dockerfile -t vigil/alert-service:0.1.0 .
FROM eclipse-temurin:17-jre AS extract
WORKDIR /build
COPY alert-service/target/alert-service.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.ref.name="vigil/alert-service"
RUN useradd --system --uid 10001 vigil
WORKDIR /app
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
USER 10001
EXPOSE 8085
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
