package io.xbzrle.cli;

import io.xbzrle.migration.memory.GuestMemory;
import io.xbzrle.migration.memory.RamFileMemory;
import io.xbzrle.migration.memory.SyntheticGuest;
import io.xbzrle.migration.memory.Workload;
import io.xbzrle.migration.pipeline.GuestSettings;
import io.xbzrle.migration.pipeline.Migrations;
import java.io.IOException;
import java.nio.file.Path;

/** The memory a source migrates: a file's pages, or a synthetic guest's. */
final class Guests {
    private Guests() {
    }

    static GuestMemory open(Migrations migrations, Path ramFile) {
        int pageSize = migrations.core().pageSize();
        if (ramFile != null) {
            try {
                return RamFileMemory.open(ramFile, pageSize);
            } catch (IOException | IllegalArgumentException e) {
                throw new UserException("--ram-file " + ramFile + ": " + e.getMessage(), e);
            }
        }
        GuestSettings g = migrations.guest();
        Workload workload;
        try {
            workload = Workload.fromName(g.workload());
        } catch (IllegalArgumentException e) {
            throw new UserException("--workload: " + e.getMessage(), e);
        }
        try {
            return SyntheticGuest.start(new SyntheticGuest.Spec("ram", g.ram(), pageSize, workload,
                    g.rate().orElse(workload.defaultPagesPerSecond(g.ram(), pageSize)), g.seed()));
        } catch (IllegalArgumentException e) {
            throw new UserException("--ram: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage(), e, ExitCodes.FAILED);
        }
    }
}
