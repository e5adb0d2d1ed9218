package org.arca.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;

/** Compares Study Instance UID and Patient's Name with what dcmtk's dcmdump prints for the same file. */
final class DcmdumpComparison {

    private static final Pattern LINE = Pattern.compile("^\\s*\\((\\p{XDigit}{4}),(\\p{XDigit}{4})\\) (\\w\\w) (?:\\[(.*)\\]|\\(no value available\\)|\\S+).*$");

    private DcmdumpComparison() {
    }

    static void assertSameAsDcmdump(Path file, Attributes dataset) throws IOException {
        List<String> uids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean utf8 = dcmdump(file, true, uids, names);
        if (!utf8) {
            uids.clear();
            names.clear();
            if (!dcmdump(file, false, uids, names)) {
                System.out.println("dcmdump cannot read " + file + ", so it is not compared");
                return;
            }
        }

        String uid = dataset.getString(Tag.StudyInstanceUID);
        if (uid != null) {
            assertThat(uids).as("Study Instance UID of %s", file).contains(uid);
        }
        String[] nameValues = dataset.getStrings(Tag.PatientName);
        String name = nameValues != null ? String.join("\\", nameValues) : null;
        boolean comparableName = utf8 || name == null || name.chars().allMatch(c -> c < 0x80);
        if (name != null && !name.isEmpty() && comparableName) {
            assertThat(names).as("Patient's Name of %s", file).contains(name);
        }
    }

    /** Runs dcmdump and collects the values it prints; returns false when it fails. */
    private static boolean dcmdump(Path file, boolean utf8, List<String> uids, List<String> names) throws IOException {
        List<String> command = new ArrayList<>(List.of("dcmdump", "-q", "+L", "+P", "0020,000d", "+P", "0010,0010"));
        if (utf8) {
            command.add("+U8");
        }
        command.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TCP_NODELAY", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("dcmdump timed out on " + file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for dcmdump on " + file, e);
        }
        for (String line : output.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()) {
                String value = matcher.group(4) == null ? "" : matcher.group(4);
                if (matcher.group(3).equals("UN")) {
                    value = fromHex(line.replaceFirst("^\\s*\\S+ UN (\\S+).*$", "$1"));
                }
                (matcher.group(1).equalsIgnoreCase("0020") ? uids : names).add(value);
            }
        }
        return process.exitValue() == 0;
    }

    /** Decodes dcmdump's hex form of a UN value ("4c\\61") as Latin-1 text without trailing padding. */
    private static String fromHex(String hex) {
        StringBuilder text = new StringBuilder();
        for (String b : hex.split("\\\\")) {
            text.append((char) Integer.parseInt(b, 16));
        }
        return text.toString().replaceAll("[ \\x00]+$", "");
    }

    /** Returns whether dcmdump reads the file at all; some sample files are beyond what dcmtk 3.6.7 tolerates. */
    static boolean dcmdumpReads(Path file) throws IOException {
        return dcmdump(file, false, new ArrayList<>(), new ArrayList<>());
    }
}
