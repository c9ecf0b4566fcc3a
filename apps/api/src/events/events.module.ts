import { Module } from '@nestjs/common';
import { EventIntake } from './event-intake';
import { EventsController } from './events.controller';

/** `POST /api/v1/events`; EventIntake is exported, as the PROM page sends its answers through it too. */
@Module({ controllers: [EventsController], providers: [EventIntake], exports: [EventIntake] })
export class EventsModule {}
