package io.nectar.nlu.entity;

/**
 * Kinds of entity {@link EntityExtractor} finds, with the normalised form of {@link Entity#value()}.
 */
public enum EntityType {
    /** An order number: upper-cased as typed, e.g. {@code DX1001}. */
    ORDER_ID("order_id"),
    /** A phone number: digits only, with a leading {@code +} for international numbers ({@code 13800138000}). */
    PHONE("phone"),
    /** An e-mail address, lower-cased. */
    EMAIL("email"),
    /** A count of items: a whole number ({@code 2}). Attribute {@code unit}: the measure word or noun. */
    QUANTITY("quantity"),
    /** An amount of money with two decimals ({@code 399.00}). Attribute {@code currency}: ISO code. */
    PRICE("price"),
    /**
     * A day, ISO {@code 2026-11-27}, or a day and clock time {@code 2026-11-27T15:00}. Attribute
     * {@code period} ({@code morning}, {@code noon}, {@code afternoon}, {@code evening}, {@code night}) when
     * the shopper named a part of the day without a clock time, or {@code week} for a whole week ("下周",
     * "next week": the value is that week's Monday).
     */
    DATE("date"),
    /** A colour: the gazetteer's canonical key ({@code black}). */
    COLOR("color"),
    /** A size: the catalogue's spelling ({@code 42}, {@code XL}). Attribute {@code bare=true} for a lone number. */
    SIZE("size"),
    /**
     * A product: its SKU. When a word fits several products, the value is the first and attribute
     * {@code candidates} lists them all, comma-separated.
     */
    PRODUCT("product"),
    /** A pointer back to something already discussed ("this one", "那双"): value {@code previous}. */
    REFERENCE("reference");

    private final String code;

    EntityType(String code) {
        this.code = code;
    }

    /** The lower-case name used in store files and on the wire. */
    public String code() {
        return code;
    }

    /** The type with this code, or {@code null}. */
    public static EntityType fromCode(String code) {
        for (EntityType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }
}
