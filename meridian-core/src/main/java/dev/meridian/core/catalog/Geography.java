package dev.meridian.core.catalog;

import static dev.meridian.core.catalog.Checks.require;
import static dev.meridian.core.catalog.Checks.requireText;

import java.util.Set;

/**
 * A named set of regions with a residency meaning. Members are the regions that list this geography; the fields
 * here say how callers from outside the member set are treated.
 *
 * @param id the geography id and profile prefix, e.g. {@code eu}, {@code us}, {@code dach}
 * @param displayName a human name, e.g. {@code European Union}
 * @param associates non-member regions that may call the geography's profiles and then also process their own
 *     requests, e.g. London and Zurich for {@code eu}
 * @param externalSources what sources that are neither members nor associates get
 * @param euMemberStatesOnly when true, the catalog refuses a member region that is not in an EU member state
 */
public record Geography(
        String id,
        String displayName,
        Set<String> associates,
        ExternalSources externalSources,
        boolean euMemberStatesOnly) {

    /** The geography that contains every region. */
    public static final String GLOBAL = "global";

    public Geography {
        requireText(id, "geography.id");
        require(id.matches("[a-z][a-z0-9-]{0,15}"), "geography.id: " + id + " (expected: lowercase, e.g. eu)");
        requireText(displayName, "geography[" + id + "].displayName");
        associates = Set.copyOf(associates);
        require(externalSources != null, "geography[" + id + "].externalSources: missing");
    }
}
