package org.arca.cli.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs dcmtk's findscu against Arca and reads the identifiers and statuses it prints with -v. */
final class FindScu {

    /**
     * One printed element: "(0010,0020) LO [FIND-1]   # ...", "(0008,0050) SH (no value available)", or a
     * well-known UID, which dcmtk prints by name: "(0008,0016) UI =SecondaryCaptureImageStorage".
     */
    private static final Pattern ELEMENT = Pattern.compile("^I: \\(([0-9a-f]{4},[0-9a-f]{4})\\) \\w\\w"
            + " (?:\\[(.*)\\]\\s+#|(=\\S+)|\\(no value available\\)|\\(Sequence)");
    private static final Pattern RESPONSE = Pattern.compile("^I: Find Response: \\d+ \\((.*)\\)$");
    private static final Pattern FINAL = Pattern.compile("Received Final Find Response \\((.*)\\)");

    /** The pending responses in order (status text and identifier, tag "gggg,eeee" to value) and the final status. */
    record Result(List<String> pendingStatuses, List<Map<String, String>> identifiers, String finalStatus,
            String output) {

        /** Returns the value of one tag in every identifier, in response order. */
        List<String> values(String tag) {
            return identifiers.stream().map(identifier -> identifier.get(tag)).toList();
        }
    }

    private FindScu() {
    }

    /**
     * Sends one C-FIND.
     *
     * @param model "-P" for Patient Root or "-S" for Study Root
     * @param queryFile an identifier file to send, or null to build one from the keys only
     */
    static Result find(ArcaProcess arca, String model, Path queryFile, List<String> extraOptions, String... keys)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("findscu", "-v", model, "-aet", "FINDSCU", "-aec", "ARCA"));
        command.addAll(extraOptions);
        for (String key : keys) {
            command.add("-k");
            command.add(key);
        }
        command.add("127.0.0.1");
        command.add(String.valueOf(arca.dicomPort()));
        if (queryFile != null) {
            command.add(queryFile.toString());
        }
        ExternalTool.Result result = ExternalTool.run(command, null, 120);
        return parse(result.output());
    }

    static Result find(ArcaProcess arca, String model, String... keys) throws IOException, InterruptedException {
        return find(arca, model, null, List.of(), keys);
    }

    private static Result parse(String output) {
        List<String> statuses = new ArrayList<>();
        List<Map<String, String>> identifiers = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : output.split("\n")) {
            Matcher response = RESPONSE.matcher(line);
            if (response.matches()) {
                statuses.add(response.group(1));
                current = new LinkedHashMap<>();
                identifiers.add(current);
                continue;
            }
            Matcher element = ELEMENT.matcher(line);
            if (current != null && element.find()) {
                String value = element.group(2) != null ? element.group(2).trim()
                        : element.group(3) != null ? element.group(3) : "";
                current.put(element.group(1), value);
            }
            if (line.contains("Received Final Find Response")) {
                current = null;
            }
        }
        Matcher finalStatus = FINAL.matcher(output);
        return new Result(statuses, identifiers, finalStatus.find() ? finalStatus.group(1) : null, output);
    }
}
