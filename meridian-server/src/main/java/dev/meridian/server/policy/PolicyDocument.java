package dev.meridian.server.policy;

import java.util.List;
import java.util.Objects;

/**
 * An IAM-style identity policy, attached to principals in the configuration.
 *
 * @param name the name the configuration gives it
 * @param statements its statements, in document order
 */
public record PolicyDocument(String name, List<Statement> statements) {

    public PolicyDocument {
        Objects.requireNonNull(name, "name");
        statements = List.copyOf(statements);
    }
}
