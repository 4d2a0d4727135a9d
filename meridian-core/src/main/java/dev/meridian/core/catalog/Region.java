package dev.meridian.core.catalog;

import static dev.meridian.core.catalog.Checks.require;
import static dev.meridian.core.catalog.Checks.requireText;

import java.util.Set;

/**
 * A place where models are served, with the jurisdiction facts that residency rules need.
 *
 * @param id the region id, e.g. {@code eu-central-1}
 * @param displayName a human name, e.g. {@code Europe (Frankfurt)}
 * @param country ISO 3166-1 alpha-2 country code of the region's jurisdiction, e.g. {@code DE}
 * @param euMemberState whether the region lies in an EU member state (London and Zurich do not)
 * @param geographies the geographies this region is a member of, e.g. {@code [eu]}; {@code global} is implied
 * @param latitude degrees north, used to estimate network round-trip times
 * @param longitude degrees east, used to estimate network round-trip times
 */
public record Region(
        String id,
        String displayName,
        String country,
        boolean euMemberState,
        Set<String> geographies,
        double latitude,
        double longitude) {

    public Region {
        requireText(id, "region.id");
        require(id.matches("[a-z0-9-]{2,32}"), "region.id: " + id + " (expected: lowercase letters, digits and '-')");
        requireText(displayName, "region[" + id + "].displayName");
        requireText(country, "region[" + id + "].country");
        require(
                country.matches("[A-Z]{2}"),
                "region[" + id + "].country: " + country + " (expected: ISO 3166-1 alpha-2, e.g. DE)");
        require(latitude >= -90 && latitude <= 90, "region[" + id + "].latitude: " + latitude + " (expected: -90..90)");
        require(
                longitude >= -180 && longitude <= 180,
                "region[" + id + "].longitude: " + longitude + " (expected: -180..180)");
        geographies = Set.copyOf(geographies);
    }

    /** Whether this region is a member of the named geography ({@code global} contains every region). */
    public boolean inGeography(String geography) {
        return Geography.GLOBAL.equals(geography) || geographies.contains(geography);
    }
}
