package dev.meridian.core.catalog;

/** What a geographic profile offers to callers whose source region lies outside the geography. */
public enum ExternalSources {
    /** The profile is not offered there (Bedrock's behaviour for {@code us.}, {@code apac.} and the like). */
    NOT_OFFERED,
    /** The source region itself plus the geography's member regions (the EU profile from outside Europe). */
    SOURCE_PLUS_MEMBERS
}
