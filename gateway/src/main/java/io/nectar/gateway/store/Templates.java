package io.nectar.gateway.store;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reply templates of dialogue flows, in Mustache: {@code {{order.id}}} inserts a value (dotted paths
 * into results), {@code {{#promotion}}...{{/promotion}}} shows a part only when the value is set, and
 * {@code {{^x}}...{{/x}}} only when it is not. Nothing is HTML-escaped: replies are plain text. Compiled
 * templates are cached; thread-safe, any thread.
 */
public final class Templates {

    private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (java.io.IOException e) {
                throw new MustacheException(e);
            }
        }
    };
    private static final Map<String, Mustache> COMPILED = new ConcurrentHashMap<>();

    private Templates() {
    }

    /** Compiles {@code template}; throws {@link IllegalArgumentException} with the reason when it is malformed. */
    public static void check(String template) {
        compiled(template);
    }

    public static String render(String template, Map<String, Object> scope) {
        if (template == null) {
            return "";
        }
        if (!template.contains("{{")) {
            return template;
        }
        StringWriter out = new StringWriter();
        compiled(template).execute(out, scope);
        return out.toString().strip();
    }

    private static Mustache compiled(String template) {
        Mustache m = COMPILED.get(template);
        if (m != null) {
            return m;
        }
        try {
            m = FACTORY.compile(new StringReader(template), "t" + Integer.toHexString(template.hashCode()));
        } catch (MustacheException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (COMPILED.size() < 10_000) {
            COMPILED.put(template, m);
        }
        return m;
    }
}
