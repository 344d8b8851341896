package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.RiskTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the example's four topics (same partition count, so events and decisions are co-partitioned) and,
 * on an existing cluster, deletes them and the application's internal topics afterwards. Blocking; one thread.
 */
final class RiskTopicAdmin implements AutoCloseable {

    private final Admin admin;

    RiskTopicAdmin(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** @throws ExecutionException if a topic cannot be created, e.g. because it exists */
    void create(RiskTopics topics, int partitions) throws ExecutionException, InterruptedException {
        List<NewTopic> newTopics = topics.all().stream()
            .map(name -> new NewTopic(name, Optional.of(partitions), Optional.empty()))
            .toList();
        admin.createTopics(newTopics).all().get();
    }

    /** Deletes the example topics and every topic whose name starts with {@code applicationId + "-"}. */
    void deleteAll(RiskTopics topics, String applicationId) throws ExecutionException, InterruptedException {
        List<String> names = admin.listTopics().names().get().stream()
            .filter(name -> topics.all().contains(name) || name.startsWith(applicationId + "-"))
            .toList();
        admin.deleteTopics(names).all().get();
    }

    @Override
    public void close() {
        admin.close();
    }
}
