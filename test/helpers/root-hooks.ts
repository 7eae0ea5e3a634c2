// Keep kafkajs quiet about its default partitioner in every test process.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
