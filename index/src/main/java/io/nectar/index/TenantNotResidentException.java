package io.nectar.index;

/**
 * The tenant was evicted to its snapshot to keep within the memory budget and must be loaded again
 * before it can be searched: call {@link KnowledgeIndex#ensureResident} and retry.
 */
public final class TenantNotResidentException extends IllegalStateException {
    private final String tenant;

    public TenantNotResidentException(String tenant) {
        super("tenant " + tenant + " is not in memory; load it with ensureResident");
        this.tenant = tenant;
    }

    public String tenant() {
        return tenant;
    }
}
