# Sourced by the benchmarks' run.sh from the repository's root: checks JDK 25 and QEMU, packages the
# controller when it is missing (or with REBUILD=1) and builds the demo image.
export PYTHONDONTWRITEBYTECODE=1
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JAVA_HOME/bin/java ]] || { echo "bench: JDK 25 not found at $JAVA_HOME (set JAVA_HOME_25)" >&2; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { echo "bench: apt-get install qemu-system-x86" >&2; exit 1; }
if [[ ! -f target/quarkus-app/quarkus-run.jar || ${REBUILD:-0} == 1 ]]; then
    ./mvnw -B -o -q package -DskipTests
fi
scripts/demo-image.sh .cache/images/demo
