package dev.meridian.server;

/** {@link ApplicationProfilesSuite} on the embedded store. */
class ApplicationProfilesIT extends ApplicationProfilesSuite {
    @Override
    String storesYaml() {
        return "";
    }
}
