/**
 * JMH benchmarks of the engine's hot paths. Build with {@code ./mvnw -q package -DskipTests -pl jynamo-jmh -am}
 * and run {@code java -cp "jynamo-jmh/target/jynamo-jmh-0.1.0-SNAPSHOT.jar:jynamo-jmh/target/lib/*"
 * org.openjdk.jmh.Main MatmulBenchmark}. End-to-end figures beside llama.cpp come from scripts/bench-engine.sh.
 */
package io.jynamo.jmh;
