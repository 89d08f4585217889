package io.nectar.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart rendered as inline SVG, so a report is one self-contained file (no scripts, no
 * network). Linear x; linear or log-10 y. Not thread-safe; build, render, discard.
 */
public final class SvgChart {

    /** One line: {@code xs[i], ys[i]} points; NaN y values break the line. */
    public record Series(String name, String color, double[] xs, double[] ys, boolean dashed) {
    }

    public static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;
    private double[] xTickValues;
    private double fixedMinX = Double.NaN, fixedMaxX = Double.NaN;
    private String[] xTickLabels;

    public SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgChart logY(boolean on) {
        this.logY = on;
        return this;
    }

    /** The x axis spans at least [min, max] (e.g. the whole run, even where a series has no data). */
    public SvgChart xRange(double min, double max) {
        this.fixedMinX = min;
        this.fixedMaxX = max;
        return this;
    }

    /** Fixed x ticks with labels (e.g. percentiles); default: nice numbers. */
    public SvgChart xTicks(double[] values, String[] labels) {
        this.xTickValues = values;
        this.xTickLabels = labels;
        return this;
    }

    public SvgChart add(String name, String color, double[] xs, double[] ys, boolean dashed) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("xs and ys differ in length");
        }
        series.add(new Series(name, color, xs, ys, dashed));
        return this;
    }

    public List<Series> series() {
        return series;
    }

    public String render(int width, int height) {
        int left = 64, right = 16, top = 30, bottom = 58;
        double plotW = width - left - right, plotH = height - top - bottom;
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.xs.length; i++) {
                if (Double.isNaN(s.ys[i]) || logY && s.ys[i] <= 0) {
                    continue;
                }
                minX = Math.min(minX, s.xs[i]);
                maxX = Math.max(maxX, s.xs[i]);
                minY = Math.min(minY, s.ys[i]);
                maxY = Math.max(maxY, s.ys[i]);
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"title\">%s</text>", left, esc(title)));
        if (minX == Double.POSITIVE_INFINITY) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"empty\">no data</text></svg>", left + 10, top + 40));
            return svg.toString();
        }
        if (!Double.isNaN(fixedMinX)) {
            minX = Math.min(minX, fixedMinX);
            maxX = Math.max(maxX, fixedMaxX);
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        double y0, y1;
        List<Double> yTicks = new ArrayList<>();
        if (logY) {
            y0 = Math.floor(Math.log10(minY));
            y1 = Math.ceil(Math.log10(maxY));
            if (y1 == y0) {
                y1 = y0 + 1;
            }
            for (double e = y0; e <= y1; e++) {
                yTicks.add(Math.pow(10, e));
            }
        } else {
            y0 = Math.min(0, minY);
            double step = niceStep((maxY - y0) / 5);
            y1 = Math.ceil(maxY / step) * step;
            if (y1 <= y0) {
                y1 = y0 + 1;
                step = 0.2;
            }
            for (double v = y0; v <= y1 + step / 2; v += step) {
                yTicks.add(v);
            }
        }
        final double fy0 = y0, fy1 = y1, fMinX = minX, fMaxX = maxX;
        java.util.function.DoubleUnaryOperator px = x -> left + (x - fMinX) / (fMaxX - fMinX) * plotW;
        java.util.function.DoubleUnaryOperator py = y -> {
            double v = logY ? Math.log10(y) : y;
            return top + plotH - (v - fy0) / (fy1 - fy0) * plotH;
        };
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" class=\"plot\"/>", left, top, plotW, plotH));
        for (double t : yTicks) {
            double y = py.applyAsDouble(t);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left, left + plotW, y, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>", left - 6, y + 4, num(t)));
        }
        double[] xt;
        String[] xl;
        if (xTickValues != null) {
            xt = xTickValues;
            xl = xTickLabels;
        } else {
            double step = niceStep((maxX - minX) / 8);
            List<Double> ticks = new ArrayList<>();
            for (double v = Math.ceil(minX / step) * step; v <= maxX + 1e-9; v += step) {
                ticks.add(v);
            }
            xt = ticks.stream().mapToDouble(Double::doubleValue).toArray();
            xl = ticks.stream().map(SvgChart::num).toArray(String[]::new);
        }
        for (int i = 0; i < xt.length; i++) {
            double x = px.applyAsDouble(xt[i]);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" class=\"grid\"/>", x, x, top, top + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>", x, top + plotH + 16, esc(xl[i])));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"middle\">%s</text>",
                left + plotW / 2, top + plotH + 34, esc(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" class=\"axis\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>",
                top + plotH / 2, top + plotH / 2, esc(yLabel)));
        for (Series s : series) {
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.xs.length; i++) {
                if (Double.isNaN(s.ys[i]) || logY && s.ys[i] <= 0) {
                    pen = false;
                    continue;
                }
                d.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", px.applyAsDouble(s.xs[i]), py.applyAsDouble(s.ys[i])));
                pen = true;
            }
            if (d.length() > 0) {
                svg.append(String.format(Locale.ROOT, "<path d=\"%s\" class=\"line\" stroke=\"%s\"%s><title>%s</title></path>", d.toString().strip(),
                        s.color, s.dashed ? " stroke-dasharray=\"5 3\"" : "", esc(s.name)));
            }
        }
        // legend under the x axis label
        double lx = left;
        double ly = height - 8;
        for (Series s : series) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"%s/>",
                    lx, lx + 18, ly - 4, ly - 4, s.color, s.dashed ? " stroke-dasharray=\"5 3\"" : ""));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">%s</text>", lx + 22, ly, esc(s.name)));
            lx += 34 + 7 * s.name.length();
        }
        return svg.append("</svg>").toString();
    }

    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
