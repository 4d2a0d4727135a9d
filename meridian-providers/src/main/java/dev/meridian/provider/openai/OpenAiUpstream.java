package dev.meridian.provider.openai;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One OpenAI-compatible model server (vLLM, Ollama, llama.cpp server, OpenAI, Azure OpenAI) for one destination.
 * {@link #toString()} never shows the key.
 *
 * @param baseUrl the API root, e.g. {@code http://10.0.0.5:8000/v1}, or an Azure deployment URL
 *     {@code https://x.openai.azure.com/openai/deployments/my-gpt}
 * @param modelName the upstream's name for the model (sent as {@code model})
 * @param apiKey the credential, or {@code null} for none
 * @param azureApiVersion Azure OpenAI's {@code api-version}; when set, the key goes in {@code api-key}
 * @param connectTimeout how long connecting may take
 * @param sendTopK whether a request's top-k is sent as {@code top_k} (vLLM's and llama.cpp's extension; OpenAI and
 *     Azure OpenAI refuse it)
 * @param protocol the HTTP version spoken to the server, or {@link UpstreamProtocol#AUTO} to find out
 */
public record OpenAiUpstream(
        URI baseUrl,
        String modelName,
        String apiKey,
        String azureApiVersion,
        Duration connectTimeout,
        boolean sendTopK,
        UpstreamProtocol protocol) {
    /** Azure's versions are dates (with {@code -preview}), or words such as {@code preview} that sort after them. */
    private static final String FIRST_AZURE_MAX_COMPLETION = "2024-09-01";

    /** An upstream that is sent no {@code top_k}, its HTTP version found out. */
    public OpenAiUpstream(
            URI baseUrl, String modelName, String apiKey, String azureApiVersion, Duration connectTimeout) {
        this(baseUrl, modelName, apiKey, azureApiVersion, connectTimeout, false, UpstreamProtocol.AUTO);
    }

    public OpenAiUpstream {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(protocol, "protocol");
    }

    /**
     * The server's root as Armeria's client takes it: scheme, host and port, the scheme naming the HTTP version when
     * {@link #protocol()} fixes one ({@code h1c://10.0.0.5:8000} for HTTP/1.1 in cleartext).
     */
    public String clientRoot() {
        return protocol.clientScheme(baseUrl.getScheme()) + "://" + baseUrl.getRawAuthority();
    }

    /**
     * The request dialect this server takes: {@code top_k} as configured, and the output limit as
     * {@code max_completion_tokens} to OpenAI's own API ({@code api.openai.com}) and to Azure OpenAI from API version
     * 2024-09-01(-preview) on, where it was added (both deprecate {@code max_tokens}, and their reasoning models
     * refuse it); as {@code max_tokens} to every other server (vLLM, llama.cpp, Ollama, older Azure versions). Both
     * OpenAI and Azure OpenAI take at most four stop sequences.
     */
    public OpenAiWire.Dialect dialect() {
        boolean openAi = "api.openai.com".equalsIgnoreCase(baseUrl.getHost());
        boolean azure = azureApiVersion != null;
        boolean recentAzure = azure && azureApiVersion.compareTo(FIRST_AZURE_MAX_COMPLETION) >= 0;
        return new OpenAiWire.Dialect(
                sendTopK,
                openAi || recentAzure,
                openAi || azure ? OpenAiWire.Dialect.OPENAI_MAX_STOP_SEQUENCES : Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return "OpenAiUpstream[baseUrl=" + baseUrl + ", modelName=" + modelName + ", apiKey="
                + (apiKey == null ? "none" : "<redacted>") + ", azureApiVersion=" + azureApiVersion + ", sendTopK="
                + sendTopK + ", protocol=" + protocol.configName() + "]";
    }
}
