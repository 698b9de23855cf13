# Sourced by ./vigil and the benchmarks. JAVA_OPENS: the packages of java.base that Flink's
# serializers reflect into, opened to the class path (Java 17 and later refuse it otherwise).
JAVA_OPENS=()
for pkg in java.util java.lang java.lang.invoke java.net java.io java.nio sun.nio.ch java.time \
  java.util.concurrent java.util.concurrent.atomic java.lang.reflect java.text java.math; do
  JAVA_OPENS+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
done
unset pkg
