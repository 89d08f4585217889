package io.nectar.loadgen.cli;

import io.nectar.loadgen.dsl.LoadScenario;
import io.nectar.loadgen.scenarios.Builtins;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the scenario named on the command line: a built-in name, a {@code .java} file (compiled here
 * against loadgen's classpath), or a class name on the classpath (plus {@code --classpath} entries).
 */
final class ScenarioLoader {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private ScenarioLoader() {
    }

    static LoadScenario load(String name, List<String> extraClasspath) {
        LoadScenario builtin = Builtins.byName(name);
        if (builtin != null) {
            return builtin;
        }
        try {
            List<URL> urls = new ArrayList<>();
            for (String entry : extraClasspath) {
                for (String part : entry.split(File.pathSeparator)) {
                    urls.add(Path.of(part).toUri().toURL());
                }
            }
            String className = name;
            if (name.endsWith(".java")) {
                Path source = Path.of(name);
                if (!Files.isRegularFile(source)) {
                    throw new IllegalArgumentException("no scenario file " + name);
                }
                Path out = Files.createTempDirectory("loadgen-scenario");
                compile(source, out, extraClasspath);
                urls.add(out.toUri().toURL());
                String text = Files.readString(source, StandardCharsets.UTF_8);
                Matcher m = PACKAGE.matcher(text);
                String simple = source.getFileName().toString().replaceFirst("\\.java$", "");
                className = m.find() ? m.group(1) + "." + simple : simple;
            } else if (!name.contains(".")) {
                throw new IllegalArgumentException("no scenario '" + name + "'; built-ins: "
                        + Builtins.all().stream().map(LoadScenario::name).toList() + " (or a class name, or a .java file)");
            }
            ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ScenarioLoader.class.getClassLoader());
            Class<?> c = Class.forName(className, true, loader);
            if (!LoadScenario.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException(className + " does not implement " + LoadScenario.class.getName());
            }
            return (LoadScenario) c.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no scenario class " + name + " on the classpath (add --classpath DIR_OR_JAR)");
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot load scenario " + name + ": " + e, e);
        }
    }

    private static void compile(Path source, Path out, List<String> extraClasspath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalArgumentException("running a .java scenario needs a JDK (no compiler in " + System.getProperty("java.home") + ")");
        }
        List<String> cp = new ArrayList<>(List.of(System.getProperty("java.class.path")));
        cp.addAll(extraClasspath);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, "-d", out.toString(), "-cp", String.join(File.pathSeparator, cp),
                "--release", "17", source.toString());
        if (rc != 0) {
            throw new IllegalArgumentException("scenario " + source + " does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
    }
}
