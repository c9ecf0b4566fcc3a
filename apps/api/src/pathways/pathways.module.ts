import { Module } from '@nestjs/common';
import { PathwaysController } from './pathways.controller';
import { PathwaysService } from './pathways.service';

/** A patient's pathway and symptom trajectories. */
@Module({ controllers: [PathwaysController], providers: [PathwaysService] })
export class PathwaysModule {}
