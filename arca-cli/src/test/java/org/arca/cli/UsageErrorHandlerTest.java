package org.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A wrong option or value gets one line and the way to the help, not the whole usage text. */
class UsageErrorHandlerTest {

    private record Outcome(int exitCode, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Outcome(exitCode, err.toString());
    }

    @Test
    void wrongTypeNamesOptionAndHelp() {
        Outcome outcome = run("serve", "--admin-port", "abc");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("arca: Invalid value for option '--admin-port': 'abc' is not an int")
                .contains("Run 'arca serve --help' for its options.");
        assertThat(outcome.err()).doesNotContain("Usage:");
    }

    @Test
    void mistypedOptionGetsSuggestion() {
        Outcome outcome = run("serve", "--dicom-prt", "11112");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("Unknown option").contains("--dicom-port")
                .contains("Run 'arca serve --help'");
        assertThat(outcome.err()).doesNotContain("Usage:");
    }
}
