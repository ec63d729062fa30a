# ChatOps as a container: build the jar with Maven, trim a Java runtime, run it as an unprivileged
# user on a read-only root filesystem, all state in /var/lib/chatops. See compose.yaml to run it.
#
# Bases are build arguments. The defaults are public images; where no registry is reachable,
# scripts/image-bases.sh makes local ones and prints the --build-arg flags that name them.
#   BUILD_IMAGE       a JDK >= 21 with a shell (Maven comes from the wrapper), with jlink and jdeps
#   RUNTIME_IMAGE     a Debian-like base; tini, curl, ca-certificates and openssh-client are
#                     installed with apt unless it has them already
#   DOCKER_CLI_IMAGE  holds /usr/local/bin/docker and the Compose v2 plugin in
#                     /usr/local/libexec/docker/cli-plugins/, as the official docker:cli does
#   JAVA_RUNTIME      jlink (default): a runtime of only the modules the jar needs; jdk: the
#                     build image's whole JDK
#   MAVEN_MIRROR_URL  a Maven repository to resolve everything from instead of Maven Central
#                     (empty: Central); the wrapper fetches Maven itself from there too
# The legacy builder and BuildKit both build it (no BuildKit-only syntax).
ARG BUILD_IMAGE=eclipse-temurin:25-jdk
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG DOCKER_CLI_IMAGE=docker:28-cli

FROM ${DOCKER_CLI_IMAGE} AS docker-cli

FROM ${BUILD_IMAGE} AS build
ARG MAVEN_MIRROR_URL=
WORKDIR /src
# The dependencies first, in a layer of their own: a change to the sources alone reuses them.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN set -eu; \
    if [ -n "$MAVEN_MIRROR_URL" ]; then \
      mkdir -p /root/.m2; \
      printf '<settings><mirrors><mirror><id>build-mirror</id><mirrorOf>*</mirrorOf><url>%s</url></mirror></mirrors></settings>\n' \
        "$MAVEN_MIRROR_URL" >/root/.m2/settings.xml; \
      export MVNW_REPOURL="$MAVEN_MIRROR_URL"; \
    fi; \
    ./mvnw -B -q dependency:resolve
COPY schema/ schema/
COPY examples/ examples/
COPY src/main/ src/main/
# Tests, coverage and the static checks run in the project's own build (./mvnw verify), not here.
# sqlite-jdbc would extract its native library to java.io.tmpdir at every start; taking it out
# here lets /tmp be a small noexec tmpfs (org.sqlite.lib.path in the entrypoint).
RUN set -eu; \
    [ -z "$MAVEN_MIRROR_URL" ] || export MVNW_REPOURL="$MAVEN_MIRROR_URL"; \
    ./mvnw -B -q -DskipTests -Djacoco.skip=true -Dspotbugs.skip=true -Dspotless.check.skip=true \
      -Dmdep.analyze.skip=true package; \
    mkdir -p /out/lib/native; \
    cp target/chatops.jar /out/lib/chatops.jar; \
    arch=$(uname -m); \
    cd /tmp && jar xf /out/lib/chatops.jar "org/sqlite/native/Linux/$arch/libsqlitejdbc.so"; \
    mv "/tmp/org/sqlite/native/Linux/$arch/libsqlitejdbc.so" /out/lib/native/

FROM build AS java-runtime
ARG JAVA_RUNTIME=jlink
# jlink: the modules jdeps finds the classes naming, plus those used by reflection or service
# lookup that it cannot see: jdk.unsupported (sun.misc.Unsafe), jdk.zipfs (resources read as a
# file system) and jdk.crypto.ec where the JDK still has it (EC keys; part of java.base since 22).
RUN set -eu; \
    case "$JAVA_RUNTIME" in \
      jlink) \
        release=$(java -XshowSettings:properties -version 2>&1 | awk '$1 == "java.specification.version" { print $3 }'); \
        modules=$(jdeps --print-module-deps --ignore-missing-deps --multi-release "$release" /out/lib/chatops.jar); \
        extra=jdk.unsupported,jdk.zipfs; \
        ! java --list-modules | grep -q '^jdk.crypto.ec@' || extra="$extra,jdk.crypto.ec"; \
        echo "jlink modules: $modules,$extra"; \
        jlink --add-modules "$modules,$extra" --strip-java-debug-attributes --no-man-pages --no-header-files \
          --compress=zip-6 --generate-cds-archive --output /opt/java ;; \
      jdk) cp -a "$JAVA_HOME" /opt/java ;; \
      *) echo "JAVA_RUNTIME must be jlink or jdk, not '$JAVA_RUNTIME'" >&2; exit 2 ;; \
    esac; \
    /opt/java/bin/java -version

FROM ${RUNTIME_IMAGE}
# Only what is missing: the local bases of scripts/image-bases.sh have it all, so no network.
RUN set -eu; \
    need=""; \
    command -v tini >/dev/null || need="$need tini"; \
    command -v curl >/dev/null || need="$need curl"; \
    command -v ssh >/dev/null || need="$need openssh-client"; \
    [ -f /etc/ssl/certs/ca-certificates.crt ] || need="$need ca-certificates"; \
    if [ -n "$need" ]; then \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    groupadd --system --gid 10001 chatops; \
    useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/chatops --no-create-home \
      --shell /usr/sbin/nologin chatops; \
    mkdir -p /var/lib/chatops /etc/chatops/intents /opt/stacks; \
    chown 10001:10001 /var/lib/chatops; \
    chmod 0750 /var/lib/chatops
COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=docker-cli /usr/local/libexec/docker/cli-plugins/docker-compose /usr/local/libexec/docker/cli-plugins/docker-compose
COPY --from=java-runtime /opt/java /opt/java
COPY --from=build /out/lib/ /opt/chatops/lib/
COPY deploy/docker/chatops.yaml /etc/chatops/chatops.yaml
# Mode 0755 from the repository (the legacy builder has no --chmod).
COPY deploy/docker/chatops /usr/local/bin/chatops
# HOME is the volume: ssh (known_hosts, keys for DOCKER_HOST=ssh://) and the docker client's
# config live there, the only writable place besides the /tmp tmpfs.
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/var/lib/chatops \
    CHATOPS_CONFIG=/etc/chatops/chatops.yaml
USER 10001:10001
WORKDIR /var/lib/chatops
VOLUME /var/lib/chatops
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "--max-time", "4", "http://127.0.0.1:8080/health"]
# The launcher's service flags (bin/chatops): a small serial-GC heap giving native memory back
# every 2 s. No AutoCreateSharedArchive (it would write beside the jar): the runtime carries its own
# CDS archive, read only. -XX:-UsePerfData: no hsperfdata file in /tmp. Add flags with
# JAVA_TOOL_OPTIONS.
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/java/bin/java", \
  "-XX:+UseSerialGC", "-Xms8m", "-Xmx256m", "-XX:ReservedCodeCacheSize=64m", \
  "-XX:TrimNativeHeapInterval=2000", "-XX:-UsePerfData", "-Xshare:auto", \
  "-Djava.io.tmpdir=/tmp", "-Dorg.sqlite.lib.path=/opt/chatops/lib/native", \
  "-Dorg.sqlite.lib.name=libsqlitejdbc.so", \
  "-jar", "/opt/chatops/lib/chatops.jar"]
CMD ["serve"]
