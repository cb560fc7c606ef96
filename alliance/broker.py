"""The Redis broker transport, made to survive a broker outage under a running worker.

kombu's Redis transport emulates acknowledgements: a delivered message stays in Redis's
"unacked" hash until the worker acks it, and a channel being closed puts its unacked
messages back in the queue. Two things go wrong when Redis goes away under a worker
whose tasks are running (acks_late), both seen in issue #14 and reproduced by
tests/networks/test_reminders_broker_outage.py::test_a_worker_keeps_running_through_a_broker_outage_and_sends_afterwards:

- Redis frozen: a task that ends meanwhile cannot ack ("Couldn't ack ... TimeoutError").
  kombu's QoS then still counts the message as delivered, the prefetch window stays
  full, and the worker, alive and connected once Redis answers again, never takes
  another message.
- Redis killed: the consumer's connection is collected (its transport loses its
  client), then the old channel is closed and puts its unacked messages back, which
  needs a new Redis client built from that client: AttributeError("'NoneType' object
  has no attribute 'hostname'") in restore_unacked, an unrecoverable error for the
  worker (celery/kombu#582 is the same path through gossip).

Neither the give-back nor the ack is needed for a message to be handled: the database
is the record. Every task works on ledger rows (reminders, outbox emails) that beat
hands out again while they are pending (dispatch_reminders, flush_outbox), a claim is
a lease, and a message that is run twice finds its rows already claimed or sent. So
this transport frees the prefetch slot of a message whose ack failed (the message
stays in Redis's unacked hash, which kombu restores after the visibility timeout; run
again, it sends nothing), and does not give unacked messages back when a channel is
closed (same: they come back after the visibility timeout).

Used for redis:// brokers through CELERY_BROKER_TRANSPORT (alliance/settings/delivery.py).
"""

import logging

from kombu.transport import redis, virtual

logger = logging.getLogger(__name__)


class QoS(redis.QoS):
    restore_at_shutdown = False

    def ack(self, delivery_tag):
        """Acknowledge in Redis if it answers; free the prefetch slot in any case.

        Whatever stops the ack (a timeout, a refused connection, or a channel whose
        connection was already collected: AttributeError inside kombu) only means the
        message comes back after the visibility timeout, which is harmless (see above);
        raised, it would wedge the prefetch window or end the worker.
        """
        try:
            super().ack(delivery_tag)
        except Exception as exc:
            virtual.QoS.ack(self, delivery_tag)
            logger.warning(
                "message %s not acknowledged in the broker (%r); it comes back after the "
                "visibility timeout and finds its rows handled",
                delivery_tag,
                exc,
            )


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
