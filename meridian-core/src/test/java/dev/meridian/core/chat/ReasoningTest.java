package dev.meridian.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A request to think is an effort or a budget, and each stands for the other at destinations that take the other. */
class ReasoningTest {

    @Test
    void aBudget_standsForAnEffort_andAnEffortForABudget() {
        assertThat(Reasoning.budget(1024).impliedEffort()).isEqualTo("low");
        assertThat(Reasoning.budget(4096).impliedEffort()).isEqualTo("low");
        assertThat(Reasoning.budget(4097).impliedEffort()).isEqualTo("medium");
        assertThat(Reasoning.budget(16385).impliedEffort()).isEqualTo("high");
        assertThat(Reasoning.effort("low").impliedBudget()).isEqualTo(4096);
        assertThat(Reasoning.effort("high").impliedBudget()).isEqualTo(32768);
        assertThat(Reasoning.budget(2000).impliedBudget()).isEqualTo(2000);
        assertThat(Reasoning.effort("medium").impliedEffort()).isEqualTo("medium");
    }

    @Test
    void oneOfEffortAndBudget_andAKnownEffort() {
        assertThatThrownBy(() -> new Reasoning("low", 2048)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reasoning(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reasoning.effort("max")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A stream's reasoning deltas become the answer's reasoning block, its signature or its redacted bytes. */
    @Test
    void streamedReasoning_isAssembledIntoItsBlock() {
        StreamAssembler signed = new StreamAssembler();
        signed.accept(new ChatEvent.MessageStart(3));
        signed.accept(ChatEvent.ReasoningDelta.text(0, "Let me "));
        signed.accept(ChatEvent.ReasoningDelta.text(0, "think."));
        signed.accept(ChatEvent.ReasoningDelta.signature(0, "c2ln"));
        signed.accept(new ChatEvent.BlockStop(0));
        signed.accept(new ChatEvent.TextDelta(1, "Done."));
        signed.accept(new ChatEvent.Metadata(new Usage(3, 5)));
        assertThat(signed.response().message().content())
                .containsExactly(ContentBlock.Reasoning.text("Let me think.", "c2ln"), new ContentBlock.Text("Done."));

        StreamAssembler redacted = new StreamAssembler();
        redacted.accept(ChatEvent.ReasoningDelta.redacted(0, "AAEC"));
        redacted.accept(new ChatEvent.TextDelta(1, "Done."));
        assertThat(redacted.response().message().content().get(0)).isEqualTo(ContentBlock.Reasoning.redacted("AAEC"));
    }
}
