package dev.grace.store;

import java.nio.file.Path;

/**
 * What a data directory's journal holds that the database does not have yet: raw events, hour states
 * and audit facts a run could not write while the database was down. Readers that go to the database
 * alone ({@code grace rollups}, {@code grace verify}) leave them out until a runtime writes them: at its
 * next start, or, while it runs, once the database answers.
 *
 * @param directory the journal's directory
 * @param records   journal records not yet applied to the database
 * @param bytes     the bytes of the journal files holding them
 */
public record JournalBacklog(Path directory, long records, long bytes) {

    /** Whether it holds anything. */
    public boolean any() {
        return records > 0;
    }

    /** One line for a command's output. */
    public String describe() {
        return "the journal " + directory + " holds " + records + (records == 1 ? " record" : " records") + " ("
                + bytes + " bytes) not yet in the database — raw events, hour states or audit facts a run could not"
                + " write while the database was down; the figures here leave them out until grace run writes them,"
                + " at its next start (or, while it runs, once the database answers)";
    }
}
