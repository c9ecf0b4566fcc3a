import { Module } from '@nestjs/common';
import { QueuesController } from './queues.controller';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** Tasks (list, claim, complete, …) and the caller's queues with their counts. */
@Module({ controllers: [TasksController, QueuesController], providers: [TasksService] })
export class TasksModule {}
