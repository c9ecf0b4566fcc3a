import type { Kafka, KafkaMessage } from 'kafkajs';
import { consumerLag } from '@tandem/kafka';

/** True once the consumer group has committed every record produced so far on the topic. */
export async function groupCaughtUp(kafka: Kafka, groupId: string, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await consumerLag(admin, groupId, topic)).every((p) => p.lag === 0);
  } finally {
    await admin.disconnect();
  }
}

/** Reads a topic from its start into an array for the test to inspect, until stopped. */
export async function collectTopic(kafka: Kafka, topic: string, groupId: string): Promise<{ messages: KafkaMessage[]; stop(): Promise<void> }> {
  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void messages.push(message)) });
  return { messages, stop: () => consumer.disconnect() };
}
