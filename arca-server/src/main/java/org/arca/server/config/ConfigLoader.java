package org.arca.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads the YAML configuration, fills what it leaves out with the embedded defaults, lays
 * command-line overrides on top, and validates the result.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = strictYamlMapper();

    private ConfigLoader() {
    }

    /**
     * Creates a mapper that rejects unknown keys and duplicate keys, and takes only true and false for a
     * boolean key. By default Jackson also reads 0, 1, the text "false" and the YAML 1.1 words yes, no,
     * on and off as booleans, so a typo such as {@code warmUp: 0} would turn a setting off without a
     * word. Read as text, those words also stay text where the key expects text (an AE title NO).
     */
    private static ObjectMapper strictYamlMapper() {
        // EMPTY_STRING_AS_NULL reads a key with nothing after it ("retention:") as null, as YAML defines it, so that
        // it keeps its defaults. A quoted empty string stays a string and fails validation where a value is needed.
        YAMLFactory factory = YAMLFactory.builder().enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        ObjectMapper mapper = new ObjectMapper(factory)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        // A quoted empty string is a value, so a number key rejects it instead of keeping its default.
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }

    /**
     * Builds the effective configuration.
     *
     * @param file the YAML file, or null for embedded defaults only
     * @param overrides values given on the command line; null fields keep the file's value
     */
    public static ArcaConfig load(Path file, ArcaConfig overrides) throws ConfigException {
        ArcaConfig fromFile = file == null ? null : read(file);
        ArcaConfig merged = overlay(overlay(ArcaConfig.defaults(), fromFile), overrides);
        try {
            ConfigValidation.validate(merged);
        } catch (ConfigException e) {
            if (file == null) {
                throw e;
            }
            throw new ConfigException(e.getMessage() + origin(file, e), e);
        }
        return merged;
    }

    private static ArcaConfig read(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Configuration file " + file + " does not exist or is not a file; "
                    + "pass an existing YAML file to --config, or leave the option out for embedded defaults.");
        }
        try {
            return YAML.readValue(file.toFile(), ArcaConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("Configuration file " + file + " has an unknown key '" + keyPath(e)
                    + "'" + quotedKeyLine(file, e.getPropertyName()) + "; known keys there are "
                    + e.getKnownPropertyIds() + ".", e);
        } catch (StreamReadException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw new ConfigException("Configuration file " + file + " sets a key twice"
                        + quotedLine(file, e.getLocation()) + "; keep one of them.", e);
            }
            throw new ConfigException("Configuration file " + file + " is not valid YAML: " + e.getMessage(), e);
        } catch (MismatchedInputException e) {
            throw new ConfigException("Configuration file " + file + " has an invalid value for '" + keyPath(e)
                    + "'" + quotedLine(file, e.getLocation()) + "; expected " + expected(e.getTargetType()) + ".", e);
        } catch (IOException e) {
            throw new ConfigException("Configuration file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** Returns base with every non-null value of top laid over it. */
    static ArcaConfig overlay(ArcaConfig base, ArcaConfig top) {
        if (top == null) {
            return base;
        }
        return new ArcaConfig(
                pick(top.dataDirectory(), base.dataDirectory()),
                overlay(base.dicom(), top.dicom()),
                overlay(base.http(), top.http()),
                pick(top.shutdownDrainSeconds(), base.shutdownDrainSeconds()),
                overlay(base.admin(), top.admin()),
                overlay(base.reconcile(), top.reconcile()),
                overlay(base.retention(), top.retention()),
                pick(top.warmUp(), base.warmUp()));
    }

    private static ArcaConfig.Reconcile overlay(ArcaConfig.Reconcile base, ArcaConfig.Reconcile top) {
        if (top == null) {
            return base;
        }
        return new ArcaConfig.Reconcile(pick(top.intervalHours(), base.intervalHours()),
                pick(top.repair(), base.repair()), pick(top.quarantineGraceDays(), base.quarantineGraceDays()));
    }

    private static ArcaConfig.Retention overlay(ArcaConfig.Retention base, ArcaConfig.Retention top) {
        if (top == null) {
            return base;
        }
        if (base == null) {
            return top;
        }
        return new ArcaConfig.Retention(pick(top.cdpWindowDays(), base.cdpWindowDays()),
                pick(top.runIntervalMinutes(), base.runIntervalMinutes()),
                pick(top.checkpointIntervalHours(), base.checkpointIntervalHours()));
    }

    private static ArcaConfig.Dicom overlay(ArcaConfig.Dicom base, ArcaConfig.Dicom top) {
        if (top == null) {
            return base;
        }
        List<String> allowed = pick(top.allowedCallingAeTitles(), base.allowedCallingAeTitles());
        return new ArcaConfig.Dicom(
                pick(top.aeTitle(), base.aeTitle()),
                pick(top.bindAddress(), base.bindAddress()),
                pick(top.port(), base.port()),
                allowed,
                pick(top.checkCalledAeTitle(), base.checkCalledAeTitle()),
                pick(top.maxAssociations(), base.maxAssociations()),
                pick(top.maxPduLength(), base.maxPduLength()),
                pick(top.artimTimeoutMs(), base.artimTimeoutMs()),
                pick(top.moveDestinations(), base.moveDestinations()),
                pick(top.personNameCaseInsensitive(), base.personNameCaseInsensitive()),
                pick(top.idleTimeoutMs(), base.idleTimeoutMs()));
    }

    private static ArcaConfig.Http overlay(ArcaConfig.Http base, ArcaConfig.Http top) {
        if (top == null) {
            return base;
        }
        return new ArcaConfig.Http(pick(top.bindAddress(), base.bindAddress()), pick(top.port(), base.port()));
    }

    private static ArcaConfig.Admin overlay(ArcaConfig.Admin base, ArcaConfig.Admin top) {
        if (top == null) {
            return base;
        }
        return new ArcaConfig.Admin(pick(top.bindAddress(), base.bindAddress()), pick(top.port(), base.port()));
    }

    private static <T> T pick(T top, T base) {
        return Objects.requireNonNullElse(top, base);
    }

    /**
     * Returns the file's line that contains the invalid value, as {@code " (line 3: warmUp: no)"}, so that the
     * operator sees the value as the parser read it; empty when the line cannot be read.
     */
    private static String quotedLine(Path file, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int lineNumber = location.getLineNr();
            if (lineNumber > lines.size()) {
                return "";
            }
            return " (line " + lineNumber + ": " + lines.get(lineNumber - 1).strip() + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Returns where a rejected merged value may come from: the file's line that sets the key when there
     * is one, and the command-line option when the message names one in parentheses.
     */
    private static String origin(Path file, ConfigException e) {
        String option = e.getMessage().contains("(--") ? " unless the option in parentheses was given" : "";
        String line = e.key() == null ? "" : quotedKeyPathLine(file, e.key());
        if (line.isEmpty() && option.isEmpty()) {
            return " Check it in the configuration file " + file + ".";
        }
        return " The value comes from the configuration file " + file + line + option + ".";
    }

    /**
     * Returns the file's line that sets the dotted key, such as {@code dicom.port} or
     * {@code dicom.moveDestinations[0].port}, as {@link #quotedLine} does. Empty when the file does
     * not set it or cannot be read.
     */
    private static String quotedKeyPathLine(Path file, String dottedKey) {
        String pointer = "/" + dottedKey.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                boolean found = token == JsonToken.FIELD_NAME
                        && parser.getParsingContext().pathAsPointer().toString().equals(pointer);
                if (found) {
                    return quotedLine(file, parser.getTokenLocation());
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }

    /**
     * Returns the first line of the file that sets {@code key}, as {@code " (line 2: aeTitel: ARCA)"}. The
     * parser gives no line for an unknown key of a record; a misspelled key rarely appears twice.
     */
    private static String quotedKeyLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith(key + ":") || line.startsWith("- " + key + ":")) {
                    return " (line " + (i + 1) + ": " + line + ")";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }

    /** Returns the dotted key of the value that failed, such as {@code dicom.port}. */
    private static String keyPath(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list, such as [CT1, MR1]";
        }
        if (type == Path.class) {
            return "a directory path";
        }
        if (type == String.class) {
            return "text";
        }
        return "a mapping of keys, as the README's configuration example shows";
    }
}
