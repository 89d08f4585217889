package io.nectar.gateway.dialogue;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LexiconTest {

    @Test
    void aRequestForAPersonHandsOffAQuestionAboutTheBotDoesNot() {
        for (String request : List.of("I want to talk to a human", "Can I speak to a real person?", "I want a real person",
                "human agent please", "real person", "real person please", "connect me to an agent", "let me speak with someone",
                "transfer me to a human", "I need a real person", "转人工", "我要人工客服", "人工")) {
            assertTrue(Lexicon.isHumanRequest(request), request);
        }
        for (String question : List.of("are you a real person?", "am i speaking with a real person", "could you be a real person",
                "can you act and think like a real person", "are you human?", "is this a real person or a bot",
                "what does a human resources person do")) {
            assertFalse(Lexicon.isHumanRequest(question), question);
        }
    }
}
