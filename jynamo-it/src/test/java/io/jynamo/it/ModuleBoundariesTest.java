package io.jynamo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARCHITECTURE.md §2, checked on the compiled main classes of every module: a module's public surface is
 * its root package, so code of one module uses another module's classes only from that module's root
 * package ({@code io.jynamo.engine.X}, never {@code io.jynamo.engine.kv.X}); and the implementation
 * packages of a module depend on each other without a cycle. The root package is the module's surface
 * (its contract types, exception and factories): it may name implementation packages and they may use
 * its types, so cycles through it are not counted. The api module is exempt from the first rule (every one of its
 * packages is the shared contract). Two modules may reach into the engine's internals by design: the JMH
 * module benchmarks its kernels, and the testkit writes test models with the engine's own GGUF and
 * safetensors writers and quantizers, so that a generated file is exactly what the engine reads.
 * Test code may reach into another module's implementation where it tests that implementation.
 */
@Timeout(120)
class ModuleBoundariesTest {
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L(io/jynamo/[\\w/$]+);");
    private static final Set<String> OPEN_MODULES = Set.of("api");
    private static final Set<String> EXEMPT_MODULES = Set.of("jmh", "testkit");

    @Test
    void modulesUseEachOthersRootPackagesOnly() throws IOException {
        List<String> violations = new ArrayList<>();
        Map<String, Map<String, Set<String>>> byModule = references();
        assertFalse(byModule.isEmpty(), "no compiled module found beside " + Path.of("").toAbsolutePath());
        byModule.forEach((module, classes) -> {
            if (EXEMPT_MODULES.contains(module)) {
                return;
            }
            classes.forEach((cls, refs) -> {
                for (String ref : refs) {
                    String other = moduleOf(ref);
                    if (other != null && !other.equals(module) && !OPEN_MODULES.contains(other) && !inRootPackage(ref)) {
                        violations.add(dotted(cls) + " -> " + dotted(ref));
                    }
                }
            });
        });
        assertTrue(violations.isEmpty(), violations.size() + " references to another module's sub-packages:\n"
                + String.join("\n", new TreeSet<>(violations)));
    }

    @Test
    void noModuleHasAPackageCycleOutsideItsRootPackage() throws IOException {
        List<String> cycles = new ArrayList<>();
        references().forEach((module, classes) -> {
            Map<String, Set<String>> graph = new TreeMap<>();
            String root = "io/jynamo/" + module;
            classes.forEach((cls, refs) -> {
                String from = packageOf(cls);
                if (from.equals(root)) {
                    return;
                }
                graph.computeIfAbsent(from, k -> new TreeSet<>());
                for (String ref : refs) {
                    String to = packageOf(ref);
                    if (module.equals(moduleOf(ref)) && !to.equals(from) && !to.equals(root)) {
                        graph.get(from).add(to);
                    }
                }
            });
            for (String pkg : graph.keySet()) {
                List<String> path = cycleThrough(pkg, graph);
                if (path != null) {
                    cycles.add(module + ": " + String.join(" -> ", path.stream().map(ModuleBoundariesTest::dotted).toList()));
                }
            }
        });
        assertTrue(cycles.isEmpty(), "package cycles:\n" + String.join("\n", cycles));
    }

    /** A path pkg -> ... -> pkg, or null. */
    private static List<String> cycleThrough(String start, Map<String, Set<String>> graph) {
        Map<String, String> parent = new HashMap<>();
        List<String> frontier = new ArrayList<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String p : frontier) {
                for (String q : graph.getOrDefault(p, Set.of())) {
                    if (q.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String at = p; at != null && !at.equals(start); at = parent.get(at)) {
                            path.add(1, at);
                        }
                        path.add(start);
                        return path;
                    }
                    if (seen.add(q)) {
                        parent.put(q, p);
                        next.add(q);
                    }
                }
            }
            frontier = next;
        }
        return null;
    }

    /** module name (engine, llm, …) → class (internal name) → io.jynamo classes it refers to. */
    private static Map<String, Map<String, Set<String>>> references() throws IOException {
        Map<String, Map<String, Set<String>>> result = new TreeMap<>();
        Path root = Path.of("").toAbsolutePath().getParent();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path dir : modules.filter(d -> d.getFileName().toString().startsWith("jynamo-")).toList()) {
                Path classes = dir.resolve("target/classes");
                if (!Files.isDirectory(classes)) {
                    continue;
                }
                String module = dir.getFileName().toString().substring("jynamo-".length());
                Map<String, Set<String>> perClass = result.computeIfAbsent(module, k -> new TreeMap<>());
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        ClassModel model = ClassFile.of().parse(Files.readAllBytes(f));
                        perClass.put(model.thisClass().asInternalName(), referencedClasses(model));
                    }
                }
            }
        }
        return result;
    }

    private static Set<String> referencedClasses(ClassModel model) {
        Set<String> refs = new TreeSet<>();
        for (PoolEntry e : model.constantPool()) {
            if (e instanceof ClassEntry c) {
                String name = c.asInternalName();
                if (name.startsWith("io/jynamo/")) {
                    refs.add(name);
                }
            } else if (e instanceof Utf8Entry u) {
                Matcher m = DESCRIPTOR_CLASS.matcher(u.stringValue());
                while (m.find()) {
                    refs.add(m.group(1));
                }
            }
        }
        return refs;
    }

    /** The module a class lives in: the package segment after io/jynamo/. */
    private static String moduleOf(String internalName) {
        String[] parts = internalName.split("/");
        return parts.length >= 4 && parts[0].equals("io") && parts[1].equals("jynamo") ? parts[2] : null;
    }

    private static boolean inRootPackage(String internalName) {
        return internalName.split("/").length == 4;
    }

    private static String packageOf(String internalName) {
        return internalName.substring(0, internalName.lastIndexOf('/'));
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }
}
