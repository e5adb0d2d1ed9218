package org.arca.store.index;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/** Brings the schema of an index file up to date with the Flyway migrations in {@code db/index} on the class path. */
final class IndexMigrations {

    static final String LOCATION = "classpath:db/index";

    private IndexMigrations() {
    }

    /** Applies the pending migrations and returns the schema version the file has afterwards. */
    static String migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .loggers("slf4j")
                .load();
        MigrateResult result = flyway.migrate();
        MigrationInfo current = flyway.info().current();
        if (current == null) {
            throw new IndexException("The index has no schema version after migration from " + LOCATION
                    + " (" + result.migrationsExecuted + " migrations executed); check that the migration"
                    + " scripts are on the class path.");
        }
        return current.getVersion().getVersion();
    }
}
