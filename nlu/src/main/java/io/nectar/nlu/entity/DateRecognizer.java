package io.nectar.nlu.entity;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates and times of day, relative to a given today: 明天下午, 下周五, 11月20日, 后天上午10点半, next Friday,
 * tomorrow at 3pm, Nov 20. Day and time parts next to each other form one entity.
 * <p>
 * Weekdays: a bare weekday (周五, Friday) or one with 这/本/this/coming is the next such day from today on
 * (today included); 下/next means that day in the following Monday-to-Sunday week; 上/last the previous week.
 */
final class DateRecognizer {

    private record Part(int start, int end, LocalDate day, LocalTime time, String period) {
    }

    private static final String ZH_NUM = "(\\d{1,2}|[一二两三四五六七八九十]{1,3})";
    private static final Pattern ZH_FULL = Pattern.compile("(?:(\\d{4})\\s*年\\s*)?(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号]?");
    private static final Pattern ISO = Pattern.compile("(?<!\\d)(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?!\\d)");
    private static final Pattern ZH_RELATIVE = Pattern.compile("大后天|后天|明天|明日|今天|今日|今儿|明儿|昨天|前天|今晚|明晚");
    private static final Pattern ZH_WEEKDAY = Pattern.compile("(这|本|下下|下|上)?个?(?:周|星期|礼拜)([一二三四五六日天1-7])");
    private static final Pattern ZH_WEEK = Pattern.compile("(这|本|下|上)个?(?:周|星期|礼拜)(?![一二三四五六日天1-7])");
    private static final Pattern EN_WEEK = Pattern.compile("(?i)\\b(this|next|last)\\s+week\\b");
    private static final Pattern EN_THIS_PERIOD = Pattern.compile("(?i)\\bthis\\s+(morning|afternoon|evening)\\b");
    private static final Pattern ZH_DAY_OF_MONTH = Pattern.compile("(?<![\\d月])(\\d{1,2})\\s*[号日](?![码])");
    private static final Pattern ZH_TIME = Pattern.compile(
            "(早上|早晨|上午|中午|下午|傍晚|晚上|夜里|凌晨)?\\s*" + ZH_NUM + "\\s*(?:点|:|：|點)\\s*(半|一刻|三刻|(\\d{1,2})\\s*分?)?");
    private static final Pattern ZH_PERIOD = Pattern.compile("早上|早晨|上午|中午|下午|傍晚|晚上|夜里|凌晨");

    private static final Pattern EN_RELATIVE = Pattern.compile(
            "(?i)\\b(the day after tomorrow|day after tomorrow|tomorrow|today|tonight|yesterday)\\b");
    private static final Pattern EN_WEEKDAY = Pattern.compile(
            "(?i)\\b(?:(next|this|coming|last)\\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b");
    private static final Pattern EN_WEEKEND = Pattern.compile("(?i)\\b(this|next)\\s+weekend\\b");
    private static final Pattern EN_MONTH_DAY = Pattern.compile(
            "(?i)\\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b");
    private static final Pattern EN_DAY_MONTH = Pattern.compile(
            "(?i)\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\b(?:,?\\s+(\\d{4}))?");
    private static final Pattern EN_TIME = Pattern.compile(
            "(?i)(?:\\bat\\s+)?\\b(\\d{1,2})(?::(\\d{2}))?\\s*(a\\.?m\\.?|p\\.?m\\.?)(?![a-z])|\\bat\\s+(\\d{1,2}):(\\d{2})\\b|\\b(noon|midday)\\b");
    private static final Pattern EN_PERIOD = Pattern.compile("(?i)\\b(?:in\\s+the\\s+)?(morning|afternoon|evening)\\b|\\bat\\s+night\\b");

    private static final Map<String, String> ZH_PERIODS = Map.of("早上", "morning", "早晨", "morning", "上午", "morning",
            "中午", "noon", "下午", "afternoon", "傍晚", "evening", "晚上", "evening", "夜里", "night", "凌晨", "night");

    private DateRecognizer() {
    }

    static void find(String text, LocalDate today, List<Candidate> out, java.util.function.IntPredicate isSizeNumber) {
        List<Part> parts = new ArrayList<>();
        Matcher m = ZH_FULL.matcher(text);
        while (m.find()) {
            int year = m.group(1) != null ? Integer.parseInt(m.group(1)) : today.getYear();
            day(parts, m, year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
        m = ISO.matcher(text);
        while (m.find()) {
            day(parts, m, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
        m = ZH_RELATIVE.matcher(text);
        while (m.find()) {
            String w = m.group();
            int offset = switch (w) {
                case "大后天" -> 3;
                case "后天" -> 2;
                case "明天", "明日", "明儿", "明晚" -> 1;
                case "昨天" -> -1;
                case "前天" -> -2;
                default -> 0;
            };
            parts.add(new Part(m.start(), m.end(), today.plusDays(offset), null, w.endsWith("晚") ? "evening" : null));
        }
        m = ZH_WEEKDAY.matcher(text);
        while (m.find()) {
            int dow = "一二三四五六".indexOf(m.group(2)) + 1;
            if (dow == 0) {
                dow = Character.isDigit(m.group(2).charAt(0)) ? Integer.parseInt(m.group(2)) : 7;
            }
            String p = m.group(1);
            String rel = p == null ? null : switch (p) {
                case "这", "本" -> "this";
                case "下" -> "next";
                case "下下" -> "next2";
                default -> "last";
            };
            parts.add(new Part(m.start(), m.end(), weekday(today, DayOfWeek.of(dow), rel), null, null));
        }
        m = ZH_WEEK.matcher(text);
        while (m.find()) {
            String rel = switch (m.group(1)) {
                case "这", "本" -> "this";
                case "下" -> "next";
                default -> "last";
            };
            parts.add(new Part(m.start(), m.end(), week(today, rel), null, "week"));
        }
        m = EN_WEEK.matcher(text);
        while (m.find()) {
            parts.add(new Part(m.start(), m.end(), week(today, m.group(1).toLowerCase(Locale.ROOT)), null, "week"));
        }
        m = EN_THIS_PERIOD.matcher(text);
        while (m.find()) {
            parts.add(new Part(m.start(), m.end(), today, null, m.group(1).toLowerCase(Locale.ROOT)));
        }
        m = ZH_DAY_OF_MONTH.matcher(text);
        while (m.find()) {
            int d = Integer.parseInt(m.group(1));
            if (d < 1 || d > 31 || isSizeNumber.test(d)) {
                continue;
            }
            LocalDate day = safeDate(today.getYear(), today.getMonthValue(), d);
            if (day != null && day.isBefore(today)) {
                day = safeDate(today.plusMonths(1).getYear(), today.plusMonths(1).getMonthValue(), d);
            }
            if (day != null) {
                parts.add(new Part(m.start(), m.end(), day, null, null));
            }
        }
        m = ZH_TIME.matcher(text);
        while (m.find()) {
            long h = Numbers.parse(m.group(2));
            if (h < 0 || h > 24) {
                continue;
            }
            int minute = 0;
            String frac = m.group(3);
            if (frac != null) {
                minute = switch (frac) {
                    case "半" -> 30;
                    case "一刻" -> 15;
                    case "三刻" -> 45;
                    default -> m.group(4) != null ? Integer.parseInt(m.group(4)) : 0;
                };
            }
            String period = m.group(1) == null ? null : ZH_PERIODS.get(m.group(1));
            // "3:" alone is not a time, and "42点" is not one either
            if (m.group(1) == null && frac == null && (!text.startsWith("点", m.end() - 1) || h == 1)) {
                continue; // "一点" is mostly "a little" (大一点), not one o'clock
            }
            parts.add(new Part(m.start(), m.end(), null, clock((int) h, minute, period), null));
        }
        m = ZH_PERIOD.matcher(text);
        while (m.find()) {
            parts.add(new Part(m.start(), m.end(), null, null, ZH_PERIODS.get(m.group())));
        }

        m = EN_RELATIVE.matcher(text);
        while (m.find()) {
            String w = m.group(1).toLowerCase(Locale.ROOT);
            int offset = w.contains("after") ? 2 : w.equals("tomorrow") ? 1 : w.equals("yesterday") ? -1 : 0;
            parts.add(new Part(m.start(), m.end(), today.plusDays(offset), null, w.equals("tonight") ? "evening" : null));
        }
        m = EN_WEEKDAY.matcher(text);
        while (m.find()) {
            DayOfWeek dow = DayOfWeek.valueOf(m.group(2).toUpperCase(Locale.ROOT));
            String rel = m.group(1) == null ? null : m.group(1).toLowerCase(Locale.ROOT);
            if ("coming".equals(rel)) {
                rel = "this";
            }
            parts.add(new Part(m.start(), m.end(), weekday(today, dow, rel), null, null));
        }
        m = EN_WEEKEND.matcher(text);
        while (m.find()) {
            parts.add(new Part(m.start(), m.end(), weekday(today, DayOfWeek.SATURDAY,
                    m.group(1).toLowerCase(Locale.ROOT)), null, null));
        }
        m = EN_MONTH_DAY.matcher(text);
        while (m.find()) {
            int year = m.group(3) != null ? Integer.parseInt(m.group(3)) : today.getYear();
            day(parts, m, year, month(m.group(1)), Integer.parseInt(m.group(2)));
        }
        m = EN_DAY_MONTH.matcher(text);
        while (m.find()) {
            int year = m.group(3) != null ? Integer.parseInt(m.group(3)) : today.getYear();
            day(parts, m, year, month(m.group(2)), Integer.parseInt(m.group(1)));
        }
        m = EN_TIME.matcher(text);
        while (m.find()) {
            if (m.group(6) != null) {
                parts.add(new Part(m.start(), m.end(), null, LocalTime.NOON, null));
                continue;
            }
            boolean ampm = m.group(1) != null;
            int h = Integer.parseInt(ampm ? m.group(1) : m.group(4));
            int min = ampm ? (m.group(2) == null ? 0 : Integer.parseInt(m.group(2))) : Integer.parseInt(m.group(5));
            if (h > 23 || min > 59) {
                continue;
            }
            if (ampm) {
                boolean pm = m.group(3).toLowerCase(Locale.ROOT).startsWith("p");
                if (h > 12) {
                    continue;
                }
                h = pm ? (h % 12) + 12 : h % 12;
            }
            parts.add(new Part(m.start(), m.end(), null, LocalTime.of(h, min), null));
        }
        m = EN_PERIOD.matcher(text);
        while (m.find()) {
            parts.add(new Part(m.start(), m.end(), null, null,
                    m.group(1) == null ? "night" : m.group(1).toLowerCase(Locale.ROOT)));
        }
        merge(text, today, parts, out);
    }

    /** Keeps the longest non-overlapping parts and joins a day with a time next to it into one entity. */
    private static void merge(String text, LocalDate today, List<Part> parts, List<Candidate> out) {
        parts.sort((a, b) -> a.start != b.start ? Integer.compare(a.start, b.start) : Integer.compare(b.end - b.start, a.end - a.start));
        List<Part> kept = new ArrayList<>();
        for (Part p : parts) {
            if (!kept.isEmpty() && p.start < kept.get(kept.size() - 1).end) {
                continue;
            }
            kept.add(p);
        }
        int i = 0;
        while (i < kept.size()) {
            Part first = kept.get(i);
            LocalDate day = first.day;
            LocalTime time = first.time;
            String period = first.period;
            int start = first.start, end = first.end;
            int j = i + 1;
            while (j < kept.size() && joinable(text, end, kept.get(j).start)) {
                Part next = kept.get(j);
                if (next.day != null && day != null) {
                    break;
                }
                if (next.day != null) {
                    day = next.day;
                }
                if (next.time != null) {
                    time = next.time;
                }
                if (next.period != null && period == null) {
                    period = next.period;
                }
                end = next.end;
                j++;
            }
            i = j;
            if (day == null && time == null && period == null) {
                continue;
            }
            if (day == null && time == null) {
                continue; // a bare "下午" or "in the morning" is not a date on its own
            }
            if (time != null && period != null && time.getHour() < 12
                    && (period.equals("afternoon") || period.equals("evening") || period.equals("night") && time.getHour() >= 6)) {
                time = time.plusHours(12);
            }
            LocalDate d = day != null ? day : today;
            String value = time != null ? d + "T" + time : d.toString();
            java.util.Map<String, String> attrs = new java.util.LinkedHashMap<>();
            if (time == null && period != null) {
                attrs.put("period", period);
            }
            out.add(new Candidate(EntityType.DATE, value, start, end, attrs, 6));
        }
    }

    private static boolean joinable(String text, int from, int to) {
        if (to < from || to - from > 5) {
            return false;
        }
        String gap = text.substring(from, to).strip().toLowerCase(Locale.ROOT);
        return gap.isEmpty() || gap.equals("at") || gap.equals("in the") || gap.equals(",") || gap.equals("的");
    }

    private static LocalTime clock(int h, int minute, String period) {
        if (minute > 59) {
            minute = 0;
        }
        if (period != null && h < 12 && (period.equals("afternoon") || period.equals("evening")
                || period.equals("night") && h >= 6)) {
            h += 12;
        }
        return LocalTime.of(h % 24, minute);
    }

    /** Monday of this, the next or the last week. */
    static LocalDate week(LocalDate today, String rel) {
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return switch (rel) {
            case "next" -> monday.plusWeeks(1);
            case "last" -> monday.minusWeeks(1);
            default -> monday;
        };
    }

    static LocalDate weekday(LocalDate today, DayOfWeek dow, String rel) {
        if (rel == null || rel.equals("this")) {
            return today.with(TemporalAdjusters.nextOrSame(dow));
        }
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        int weeks = switch (rel) {
            case "next" -> 1;
            case "next2" -> 2;
            default -> -1;
        };
        return monday.plusWeeks(weeks).plusDays(dow.getValue() - 1L);
    }

    private static void day(List<Part> parts, Matcher m, int year, int month, int dayOfMonth) {
        LocalDate d = safeDate(year, month, dayOfMonth);
        if (d != null) {
            parts.add(new Part(m.start(), m.end(), d, null, null));
        }
    }

    private static LocalDate safeDate(int y, int mo, int d) {
        try {
            return LocalDate.of(y, mo, d);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int month(String s) {
        String p = s.toLowerCase(Locale.ROOT).substring(0, 3);
        return List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").indexOf(p) + 1;
    }
}
