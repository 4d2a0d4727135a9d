package dev.meridian.core.catalog;

/** Bedrock's inference profile types. */
public enum ProfileType {
    /** Published by the operator: {@code <geo>.<modelId>}; its region set never changes. */
    SYSTEM_DEFINED,
    /** Created by a user as a copy of a model or a system profile, for cost tracking and tags. */
    APPLICATION
}
