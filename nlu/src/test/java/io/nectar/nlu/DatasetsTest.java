package io.nectar.nlu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {

    @Test
    void theRepositoryRootIsTheNearestDirectoryWithOpsAndAPom(@TempDir Path tmp) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("checkout/repo"));
        Files.createDirectories(repo.resolve("ops"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Path module = Files.createDirectories(repo.resolve("gateway/src"));
        assertEquals(repo, Datasets.repositoryRoot(module));
        assertEquals(repo, Datasets.repositoryRoot(repo));
        assertNull(Datasets.repositoryRoot(tmp.resolve("checkout")));
    }

    @Test
    void thePropertyWinsAndAMissingFileSaysWhatToSet(@TempDir Path tmp) {
        String before = System.getProperty("nectar.datasets");
        try {
            System.setProperty("nectar.datasets", tmp.toString());
            assertEquals(tmp.toAbsolutePath().normalize(), Datasets.root());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Datasets.file("clinc150/train.jsonl"));
            assertTrue(e.getMessage().contains("NECTAR_DATASETS"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("nectar.datasets");
            } else {
                System.setProperty("nectar.datasets", before);
            }
        }
    }

    @Test
    void fromThisCheckoutTheDefaultIsSharedBesideTheRepository() {
        if (System.getProperty("nectar.datasets") != null || System.getenv("NECTAR_DATASETS") != null) {
            return; // set from outside: nothing to check about the default here
        }
        Path repo = Datasets.repositoryRoot(Path.of("").toAbsolutePath());
        assertEquals(repo.resolve("../shared/datasets").normalize(), Datasets.root());
    }
}
