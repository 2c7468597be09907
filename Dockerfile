# Runtime-only image (JVM mode): build first with `./mvnw -B package -DskipTests`, then
#   docker build -t lab-controller:latest .
# Only target/quarkus-app/ is copied in; the image holds a JRE and no build tools.
FROM eclipse-temurin:25-jre

RUN groupadd --system --gid 10001 lab \
 && useradd --system --uid 10001 --gid lab --home-dir /var/lib/lab-controller --no-create-home --shell /usr/sbin/nologin lab \
 && mkdir -p /var/lib/lab-controller /deployments \
 && chown lab:lab /var/lib/lab-controller

WORKDIR /deployments
COPY --chown=10001:10001 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=10001:10001 target/quarkus-app/*.jar /deployments/
COPY --chown=10001:10001 target/quarkus-app/app/ /deployments/app/
COPY --chown=10001:10001 target/quarkus-app/quarkus/ /deployments/quarkus/

ENV LANG=C.UTF-8 \
    LAB_DATA_DIR=/var/lib/lab-controller
USER 10001
# 8080: API, UI and streams; 9000: health and metrics (management interface)
EXPOSE 8080 9000
# Heap at half the container's memory leaves room for Netty's direct buffers (capped, streams read
# into pooled direct buffers), metaspace and threads; SerialGC halves what an idle stream costs.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:MaxDirectMemorySize=192m", "-XX:+UseSerialGC", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]
