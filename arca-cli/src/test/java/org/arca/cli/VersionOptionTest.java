package org.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's {@code --version} prints Arca's version, as the help of each command promises. */
class VersionOptionTest {

    @Test
    void subcommandsPrintVersion() {
        for (String[] args : new String[][] {{"--version"}, {"verify", "--version"}, {"list", "-V"},
                {"index", "rebuild", "--version"}}) {
            StringWriter out = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(out));

            int exitCode = commandLine.execute(args);

            assertThat(exitCode).as("exit code of %s", String.join(" ", args)).isZero();
            assertThat(out.toString()).as("output of %s", String.join(" ", args)).startsWith("arca ");
        }
    }
}
