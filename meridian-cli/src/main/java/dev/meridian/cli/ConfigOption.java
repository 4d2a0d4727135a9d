package dev.meridian.cli;

import dev.meridian.server.config.ConfigLoader;
import dev.meridian.server.config.MeridianConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The shared {@code --config FILE} option: the embedded defaults, extended by the file when given. */
final class ConfigOption {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML configuration extending the defaults.")
    Path file;

    MeridianConfig load() {
        return file == null ? ConfigLoader.defaults() : ConfigLoader.load(file);
    }
}
