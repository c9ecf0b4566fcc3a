import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PromPageController } from './prom-page.controller';
import { PromPageService } from './prom-page.service';

/** The patient's PROM page behind its link; its answers enter as events (EventsModule). */
@Module({ imports: [EventsModule], controllers: [PromPageController], providers: [PromPageService] })
export class PromPageModule {}
