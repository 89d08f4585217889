package io.nectar.nlu.entity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Negation and correction in a shopper's message, for {@link EntityExtractor}: "不要棕色" and "not the brown
 * one" negate the mention after them; "棕色……不，黑色的吧" and "brown, actually black" replace the earlier
 * mention of a type with the later one. Stateless; any thread.
 */
final class CueMarker {

    private static final Pattern NEG_ZH = Pattern.compile("不想要|不要|不是|别|不用");
    private static final Pattern NEG_EN = Pattern.compile("(?i)\\b(?:not|no|don't want|do not want|don't|instead of|rather than|except)\\b(?!\\s*[,.!…])");
    private static final Pattern CORR_ZH = Pattern.compile("不不|不对|哦不|啊不|呃不|不(?=\\s*[，,、。.…!！\\s])|还是|改成|改为|换成");
    private static final Pattern CORR_EN = Pattern.compile(
            "(?i)\\b(?:no|nope)\\b(?=\\s*[,.!…])|\\bactually\\b|\\bi mean\\b|\\brather\\b(?!\\s+than)|\\bwait\\b|\\bsorry\\b|\\binstead\\b(?!\\s+of)"
                    + "|\\bmake (?:it|that)\\b|\\bchange (?:it|that) to\\b|\\bswitch (?:it|that) to\\b|\\bscratch that\\b|\\bon second thought\\b");
    private static final Pattern FILLER = Pattern.compile(
            "(?i)^(?:\\s|要|是|的|个|换|成|那|这|一|款|双|给我|the|a|an|in|want|that|this|one|ones|colou?r|size)*$");
    private static final Pattern POST_NEG_ZH = Pattern.compile("^的?(?:不要|不行|不好看|不喜欢|就算了)");

    private CueMarker() {
    }

    /** The correction and negation cues of a text, in text order (a negation inside a correction is not one). */
    static List<Cue> cues(String t) {
        List<Cue> cues = new ArrayList<>();
        for (Pattern p : List.of(CORR_ZH, CORR_EN)) {
            Matcher m = p.matcher(t);
            while (m.find()) {
                cues.add(new Cue(Cue.Kind.CORRECTION, m.group(), m.start(), m.end()));
            }
        }
        for (Pattern p : List.of(NEG_ZH, NEG_EN)) {
            Matcher m = p.matcher(t);
            while (m.find()) {
                boolean inside = false;
                for (Cue c : cues) {
                    if (m.start() < c.end() && c.start() < m.end()) {
                        inside = true;
                        break;
                    }
                }
                if (!inside) {
                    cues.add(new Cue(Cue.Kind.NEGATION, m.group(), m.start(), m.end()));
                }
            }
        }
        cues.sort(Comparator.comparingInt(Cue::start));
        return cues;
    }

    /**
     * Flags the entities the cues touch: {@link Entity.Flag#NEGATED} after a negation (with only filler words
     * between) or before a Chinese "的不要"; {@link Entity.Flag#SUPERSEDED} for mentions of a type mentioned
     * again after a correction cue, and {@link Entity.Flag#CORRECTION} for the first mention after it.
     */
    static void mark(String t, List<Entity> entities, List<Cue> cues) {
        // negation right before a mention, with only filler words between: 不要棕色, not the brown one
        for (int i = 0; i < entities.size(); i++) {
            Entity e = entities.get(i);
            for (Cue c : cues) {
                if (c.kind() == Cue.Kind.NEGATION && c.end() <= e.start()
                        && FILLER.matcher(t.substring(c.end(), e.start())).matches() && noEntityBetween(entities, c.end(), e.start())) {
                    entities.set(i, e.withFlag(Entity.Flag.NEGATED));
                }
            }
            if (POST_NEG_ZH.matcher(t.substring(e.end())).find()) {
                entities.set(i, entities.get(i).withFlag(Entity.Flag.NEGATED));
            }
        }
        // a correction cue between two mentions of one type: the earlier ones are replaced
        for (Cue c : cues) {
            if (c.kind() != Cue.Kind.CORRECTION) {
                continue;
            }
            Set<EntityType> types = new HashSet<>();
            for (Entity e : entities) {
                if (e.start() >= c.end()) {
                    types.add(e.type());
                }
            }
            for (EntityType type : types) {
                boolean earlier = false;
                for (int i = 0; i < entities.size(); i++) {
                    Entity e = entities.get(i);
                    if (e.type() == type && e.end() <= c.start() && e.isAffirmed()) {
                        entities.set(i, e.withFlag(Entity.Flag.SUPERSEDED));
                        earlier = true;
                    }
                }
                if (earlier) {
                    for (int i = 0; i < entities.size(); i++) {
                        Entity e = entities.get(i);
                        if (e.type() == type && e.start() >= c.end()) {
                            entities.set(i, e.withFlag(Entity.Flag.CORRECTION));
                            break;
                        }
                    }
                }
            }
        }
    }

    private static boolean noEntityBetween(List<Entity> entities, int from, int to) {
        for (Entity e : entities) {
            if (e.start() >= from && e.end() <= to && e.type() != EntityType.REFERENCE) {
                return false;
            }
        }
        return true;
    }
}
